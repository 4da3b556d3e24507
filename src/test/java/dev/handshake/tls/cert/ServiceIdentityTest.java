package dev.handshake.tls.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.cert.ServiceIdentity.Presented;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6125 §6 host name matching, case by case. */
class ServiceIdentityTest {

    private static Presented dns(String... names) {
        return new Presented(List.of(names), List.of(), false, null);
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "example.com,         example.com,        true",
        "EXAMPLE.com,         example.COM,        true",
        "example.com.,        example.com,        true",
        "example.com,         example.com.,       true",
        "www.example.com,     example.com,        false",
        "example.com,         www.example.com,    false",
        "a.example.com,       *.example.com,      true",
        "A.Example.Com,       *.EXAMPLE.com,      true",
        "example.com,         *.example.com,      false",
        "a.b.example.com,     *.example.com,      false",
        ".example.com,        *.example.com,      false",
        "foo.com,             *.com,              false",
        "foo.example.com,     f*.example.com,     false",
        "foo.example.com,     *oo.example.com,    false",
        "a.b.example.com,     a.*.example.com,    false",
        "*.example.com,       *.example.com,      true",
        "xn--bcher-kva.example, xn--bcher-kva.example, true",
        "a..example.com,      a..example.com,     false",
        "'',                  example.com,        false",
    })
    void matchesDnsNames(String reference, String presented, boolean expected) {
        assertThat(ServiceIdentity.matches(reference, dns(presented))).isEqualTo(expected);
    }

    @Test
    void nonAsciiReferenceNamesMatchNothing() {
        // RFC 6125 §6.4.2: compare A-labels; we do not convert U-labels, so a raw U-label cannot be trusted to match.
        assertThat(ServiceIdentity.matches("bücher.example", dns("bücher.example"))).isFalse();
        assertThat(ServiceIdentity.matches("bücher.example", dns("xn--bcher-kva.example"))).isFalse();
    }

    @Test
    void ipLiteralsMatchOnlyIpAddressEntriesByValue() {
        Presented presented = new Presented(List.of("127.0.0.1", "localhost"), List.of("10.0.0.1", "0:0:0:0:0:0:0:1"),
                false, "127.0.0.1");

        assertThat(ServiceIdentity.matches("10.0.0.1", presented)).isTrue();
        assertThat(ServiceIdentity.matches("::1", presented)).isTrue();
        assertThat(ServiceIdentity.matches("[::1]", presented)).isTrue();
        assertThat(ServiceIdentity.matches("0000:0000::0001", presented)).isTrue();
        assertThat(ServiceIdentity.matches("127.0.0.1", presented)).as("dNSName and CN never match an IP").isFalse();
        assertThat(ServiceIdentity.matches("10.0.0.01", presented)).as("leading zero: not an IP literal").isFalse();
    }

    @Test
    void commonNameCountsOnlyWithoutDnsOrUriNames() {
        assertThat(ServiceIdentity.matches("host.example", new Presented(List.of(), List.of(), false, "host.example")))
                .isTrue();
        assertThat(ServiceIdentity.matches("host.example",
                new Presented(List.of(), List.of("10.0.0.1"), false, "host.example"))).as("IP SANs do not count").isTrue();
        assertThat(ServiceIdentity.matches("host.example",
                new Presented(List.of("other.example"), List.of(), false, "host.example"))).isFalse();
        assertThat(ServiceIdentity.matches("host.example", new Presented(List.of(), List.of(), true, "host.example")))
                .isFalse();
        assertThat(ServiceIdentity.matches("a.host.example", new Presented(List.of(), List.of(), false, "*.host.example")))
                .as("wildcard rules apply to the CN too").isTrue();
    }
}
