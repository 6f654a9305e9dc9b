package dev.tempmedia.storage;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the hour partitions of a store laid out as {@code domain/yyyy/MM/dd/HH/objectId}, for every
 * backend: each lists one level of its tree (directories on disk, common prefixes in S3), and the
 * walk down the date levels and the reading of an hour from its path are written once, here. Names
 * that do not fit the layout (the local store's {@code .incoming}, a stray folder) are skipped.
 */
public final class PartitionWalk {
  /** The names one level under a {@code /}-separated path ({@code ""} is the store's root), sorted. */
  @FunctionalInterface
  public interface Children {
    List<String> under(String path) throws IOException;
  }

  private PartitionWalk() {}

  /** Every partition of {@code onlyDomain}, or of every domain when it is null; oldest first per domain. */
  public static List<Partition> walk(Children children, String onlyDomain) throws IOException {
    List<String> domains = onlyDomain != null ? List.of(onlyDomain) : children.under("");
    List<Partition> found = new ArrayList<>();
    for (String domain : domains) {
      if (!BlobKey.isHexPart(domain)) {
        continue;
      }
      for (String year : numbers(children, domain, 4)) {
        for (String month : numbers(children, domain + "/" + year, 2)) {
          for (String day : numbers(children, domain + "/" + year + "/" + month, 2)) {
            String dayPath = domain + "/" + year + "/" + month + "/" + day;
            for (String hour : numbers(children, dayPath, 2)) {
              try {
                long start = LocalDateTime.of(
                        Integer.parseInt(year),
                        Integer.parseInt(month),
                        Integer.parseInt(day),
                        Integer.parseInt(hour),
                        0)
                    .toEpochSecond(ZoneOffset.UTC);
                found.add(new Partition(domain, start));
              } catch (DateTimeException notADate) {
                // 2026/13/… or 24: not one of ours.
              }
            }
          }
        }
      }
    }
    return found;
  }

  /** The children of {@code path} that are numbers of {@code digits} digits, as every date level is named. */
  private static List<String> numbers(Children children, String path, int digits)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (String name : children.under(path)) {
      if (name.length() == digits && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
        out.add(name);
      }
    }
    return out;
  }
}
