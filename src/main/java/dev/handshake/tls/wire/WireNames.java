package dev.handshake.tls.wire;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Builds the code-to-name table of an open-set wire type from its own named constants, so a constant and its
 * printed name can never disagree. Unknown codes print as hex.
 */
final class WireNames {

    private WireNames() {
    }

    static <T> Map<Integer, String> of(Class<T> type, ToIntFunction<T> code) {
        return of(type, code, true);
    }

    /** RFCs spell alerts and extensions in lower case and cipher suites in upper case; names follow the RFCs. */
    static <T> Map<Integer, String> of(Class<T> type, ToIntFunction<T> code, boolean lowerCase) {
        Map<Integer, String> names = new HashMap<>();
        for (Field field : type.getDeclaredFields()) {
            int m = field.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isPublic(m) && field.getType() == type) {
                try {
                    names.put(code.applyAsInt(type.cast(field.get(null))), lowerCase ? field.getName().toLowerCase() : field.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(names);
    }

    static String name(Map<Integer, String> names, int code, int hexDigits) {
        String name = names.get(code);
        return name != null ? name : String.format("0x%0" + hexDigits + "x", code);
    }
}
