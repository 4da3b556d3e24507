package dev.handshake.service.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Scrapes {@code /actuator/prometheus} over HTTP and reads sample values out of the text format. */
final class Prometheus {

    private final int managementPort;

    Prometheus(int managementPort) {
        this.managementPort = managementPort;
    }

    String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** Sum of the samples named {@code name} whose labels include all of {@code labels}; 0 when none. */
    static double value(String scrape, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                all &= line.contains(label.getKey() + "=\"" + label.getValue() + "\"");
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
