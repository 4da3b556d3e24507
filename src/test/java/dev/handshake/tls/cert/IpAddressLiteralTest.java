package dev.handshake.tls.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.tls.codec.Bytes;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literal parsing, checked against the JDK's own parser where both accept the text. */
class IpAddressLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.20.30.40", "::", "::1", "1::", "1:2:3:4:5:6:7:8",
        "fe80::1:2", "2001:db8::ff00:42:8329", "2001:DB8:0:0:8:800:200C:417A", "::ffff:192.0.2.128", "1:2:3:4:5:6:1.2.3.4",
        "0:0:0:0:0:0:0:1", "1:0:0:0:0:0:0:0"})
    void parsesLikeTheJdk(String literal) throws Exception {
        byte[] expected = InetAddress.getByName(literal).getAddress();
        byte[] parsed = IpAddressLiteral.parse(literal);

        if (literal.startsWith("::ffff:")) {
            // The JDK folds IPv4-mapped IPv6 to IPv4; a certificate's iPAddress entry keeps all 16 bytes.
            assertThat(Bytes.hex(parsed)).isEqualTo("00000000000000000000ffff" + Bytes.hex(expected));
        } else {
            assertThat(Bytes.hex(parsed)).isEqualTo(Bytes.hex(expected));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1..3.4",
        "localhost", "example.com", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", ":1", "1:", "12345::", "g::1", "::1%eth0",
        "[::1", "1:2:3:4:5:6:7::8:9", "1.2.3.4::", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "１.2.3.4", "::１"})
    void rejectsWhatIsNotAnAddressLiteral(String text) {
        assertThat(IpAddressLiteral.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"[::1], 00000000000000000000000000000001", "[2001:db8::1], 20010db8000000000000000000000001"})
    void acceptsBracketedIpv6(String text, String hex) {
        assertThat(Bytes.hex(IpAddressLiteral.parse(text))).isEqualTo(hex);
    }
}
