/**
 * tempmedia in the test's JVM, as MockWebServer is for plain HTTP: {@link
 * dev.tempmedia.junit.TempmediaExtension} starts a server on port 0 over a temporary data directory
 * and hands the test a {@link dev.tempmedia.junit.Tempmedia}: its base URL, the well-known
 * development apps, the emulator's clock, fault rules, and the requests and sent messages as they
 * happen, to take one by one ({@link dev.tempmedia.junit.Feed#take}). {@link
 * dev.tempmedia.junit.WxJava} points WxJava's three products at it; WxJava itself stays optional.
 */
package dev.tempmedia.junit;
