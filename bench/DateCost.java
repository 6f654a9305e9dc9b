// The cost of one Date stamp, apart from any HTTP traffic (docs/benchmarks.md, "The Date header's
// cost"): DateHeader.now() and a header set, as the headers-end hook does on every answer.
//   ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
//   java -cp target/classes:$(cat /tmp/cp.txt) bench/DateCost.java
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.http.DateHeader;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

public class DateCost {
  public static void main(String[] args) {
    DateHeader date = new DateHeader(ServerClock.system());
    MultiMap headers = HttpHeaders.headers();
    long sink = 0;
    for (int round = 0; round < 7; round++) {
      int n = 20_000_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        headers.set(HttpHeaders.DATE, date.now());
        sink += headers.size();
      }
      long t1 = System.nanoTime();
      System.out.printf("round %d: %.1f ns per stamp (now() + headers.set)%n", round, (t1 - t0) / (double) n);
    }
    System.out.println(sink);
  }
}
