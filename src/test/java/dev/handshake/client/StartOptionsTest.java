package dev.handshake.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which options RelayClient can send as the octet-stream start's query parameters, and how. */
class StartOptionsTest {

    @Test
    void noOptionsIsAnEmptyQuery() {
        assertThat(StartOptions.query(null)).isEmpty();
        assertThat(StartOptions.query("  ")).isEmpty();
        assertThat(StartOptions.query("{}")).isEmpty();
    }

    @Test
    void knownMembersBecomeQueryParametersAndListsRepeatThem() {
        assertThat(StartOptions.query("{\"version\":\"TLSv1.3\",\"clientAuth\":\"required\","
                + "\"applicationProtocols\":[\"h2\",\"http/1.1\"],\"serverName\":null}"))
                .isEqualTo("version=TLSv1.3&clientAuth=required&applicationProtocols=h2"
                        + "&applicationProtocols=http%2F1.1");
    }

    @Test
    void recordPaddingTravelsAsANumber() {
        assertThat(StartOptions.query("{\"version\":\"TLSv1.3\",\"recordPadding\":256}"))
                .isEqualTo("version=TLSv1.3&recordPadding=256");
    }

    @Test
    void anythingWithoutAQueryFormKeepsTheJsonStart() {
        assertThat(StartOptions.query("{\"walkthrough\":{\"keyExchange\":\"rsa\"}}")).isNull();
        assertThat(StartOptions.query("{\"firstFlight\":\"AAAA\"}")).isNull();
        assertThat(StartOptions.query("{\"version\":true}")).isNull();
        assertThat(StartOptions.query("{\"applicationProtocols\":[1]}")).isNull();
        assertThat(StartOptions.query("{not json")).isNull();
        assertThat(StartOptions.query("[\"version\"]")).isNull();
    }
}
