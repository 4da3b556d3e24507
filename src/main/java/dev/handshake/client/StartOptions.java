package dev.handshake.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Session options given as JSON members, turned into the octet-stream start's query parameters where they can be: the
 * raw-records start is the fast one, and the caller should not have to know which options it takes.
 */
final class StartOptions {

    /** The members the octet-stream start takes as query parameters (same names, values and defaults). */
    static final Set<String> QUERY_PARAMETERS = Set.of("version", "profile", "serverName", "clientAuth",
            "applicationProtocols", "recordPadding");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StartOptions() {
    }

    /**
     * The query string for {@code optionsJson} ({@code ""} for none), or null when some member has no query form (an
     * unknown name, a nested value) or the JSON does not parse: the JSON start then carries it, and the service's
     * answer to it (a 400 problem, for instance) stays the same as before.
     */
    static String query(String optionsJson) {
        if (optionsJson == null || optionsJson.isBlank()) {
            return "";
        }
        JsonNode options;
        try {
            options = JSON.readTree(optionsJson);
        } catch (JacksonException e) {
            return null;
        }
        if (options == null || !options.isObject()) {
            return null;
        }
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, JsonNode> member : options.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (!QUERY_PARAMETERS.contains(name)) {
                return null;
            }
            if (value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode item : value) {
                    if (!item.isString()) {
                        return null;
                    }
                    query.add(parameter(name, item.asString()));
                }
            } else if (value.isString() || value.isIntegralNumber()) {
                query.add(parameter(name, value.asString()));
            } else {
                return null;
            }
        }
        return query.toString();
    }

    private static String parameter(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
