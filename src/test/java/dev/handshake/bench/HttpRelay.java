package dev.handshake.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay API's requests, as {@code RelayClient} sends them (create with the first flight as JSON, then each flight
 * as {@code application/octet-stream} with {@code If-Match}), over an HTTP client that subclasses choose. Keeping the
 * requests here means the JDK HttpClient and the raw-socket client send byte-for-byte the same API calls.
 */
abstract class HttpRelay implements RelayTransport {

    static final String OCTETS = "application/octet-stream";
    static final String JSON = "application/json";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");
    private static final Pattern FLIGHT = Pattern.compile("\"flight\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"");

    /** One HTTP answer: status, ETag, Location and body. */
    record Response(int status, String etag, String location, byte[] body) {
    }

    /** Client-side round trip of each request, by kind (create, flight, delete, empty), as {@link ServerTiming} names them. */
    final Samples roundTrips = new Samples();
    private final String version;
    private final boolean jsonStart;
    private String session;
    private String etag;

    /**
     * @param version   the highest TLS version of the session ({@code TLSv1.2} or {@code TLSv1.3})
     * @param jsonStart start sessions with the JSON form (base64 first flight, session view answered) rather than the
     *                  octet-stream form RelayClient uses
     */
    HttpRelay(String version, boolean jsonStart) {
        this.version = version;
        this.jsonStart = jsonStart;
    }

    /** Sends one request on a kept-alive connection and reads the whole answer. */
    abstract Response exchange(String method, String path, String contentType, byte[] body, String ifMatch)
            throws IOException;

    @Override
    public byte[] open(byte[] firstFlight) throws IOException {
        if (!jsonStart) {
            Response created = expect(201, timed("create", "POST", "/api/v1/sessions?version=" + version, OCTETS,
                    firstFlight, null));
            session = created.location();
            etag = created.etag();
            return created.body();
        }
        byte[] body = ("{\"mode\":\"relay\",\"version\":\"" + version + "\",\"firstFlight\":\""
                + Base64.getEncoder().encodeToString(firstFlight) + "\"}").getBytes(StandardCharsets.US_ASCII);
        Response created = expect(201, timed("create", "POST", "/api/v1/sessions", JSON, body, null));
        String json = new String(created.body(), StandardCharsets.UTF_8);
        session = "/api/v1/sessions/" + group(ID, json);
        etag = created.etag();
        Matcher flight = FLIGHT.matcher(json);
        return flight.find() ? Base64.getDecoder().decode(flight.group(1)) : new byte[0];
    }

    @Override
    public byte[] flight(byte[] records) throws IOException {
        Response answer = expect(200, timed("flight", "POST", session + "/flights", OCTETS, records, etag));
        etag = answer.etag();
        return answer.body();
    }

    @Override
    public void forget() throws IOException {
        expect(200, timed("delete", "DELETE", session, null, null, null));
        session = null;
    }

    /** The id of the open session (its last path segment). */
    String sessionId() {
        return session.substring(session.lastIndexOf('/') + 1);
    }

    /** A request that does nothing on the server: the floor of one HTTP round trip through the same stack. */
    void empty(byte[] body) throws IOException {
        expect(200, timed("empty", "POST", EmptyEndpoint.PATH, OCTETS, body, null));
    }

    private Response timed(String kind, String method, String path, String contentType, byte[] body, String ifMatch)
            throws IOException {
        long start = System.nanoTime();
        Response response = exchange(method, path, contentType, body, ifMatch);
        roundTrips.add(kind, System.nanoTime() - start);
        return response;
    }

    private static Response expect(int status, Response response) throws IOException {
        if (response.status() != status) {
            throw new IOException("expected " + status + ", got " + response.status() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    private static String group(Pattern pattern, String json) throws IOException {
        Matcher m = pattern.matcher(json);
        if (!m.find()) {
            throw new IOException("unexpected answer: " + json);
        }
        return m.group(1);
    }
}
