package io.dlrgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kannel's report types are bit masks: 1 and 2 (and EXPIRED's 34) are final, 4/8/16 are not. */
class DlrReceiverTest {

    @Test
    void countsFinalReportsByTheirBitsAndDuplicatesOnce() throws Exception {
        try (DlrReceiver r = new DlrReceiver()) {
            HttpClient http = HttpClient.newHttpClient();
            for (String q : new String[] {"ref=447801000001&type=4", "ref=447801000001&type=1",
                    "ref=447801000002&type=34", "ref=447801000003&type=8", "ref=447801000001&type=1"}) {
                HttpResponse<Void> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port()
                        + "/dlr?" + q)).build(), HttpResponse.BodyHandlers.discarding());
                assertEquals(200, resp.statusCode());
            }
            assertEquals(Map.of("447801000001", 1, "447801000002", 34), r.finals);
            assertEquals(2, r.intermediates.get());
            assertEquals(1, r.duplicates.get());
        }
    }
}
