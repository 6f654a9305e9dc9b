package dev.tempmedia.io;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one plain JSON mapper of the process (Jackson's defaults), shared by every class that reads or
 * writes JSON as it is. A mapper is thread-safe once configured, costly to make, and keeps the
 * serializers and deserializers it builds for each type at first use: with one per class, the start
 * built each mapper and introspected the same types (maps, trees, records) once per class again.
 * Never configured after this line: a class that needs other settings derives a reader or writer
 * ({@code MAPPER.readerFor(…).without(…)}) or keeps a mapper of its own.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
