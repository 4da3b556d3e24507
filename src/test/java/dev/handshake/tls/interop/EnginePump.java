package dev.handshake.tls.interop;

/** Moves bytes between two of our own endpoints until both go quiet. */
final class EnginePump {

    private EnginePump() {
    }

    static void run(EngineEndpoint a, EngineEndpoint b) {
        for (int round = 0; round < 64; round++) {
            byte[] fromA = a.takeOutput();
            b.receive(fromA);
            byte[] fromB = b.takeOutput();
            a.receive(fromB);
            if (fromA.length == 0 && fromB.length == 0) {
                return;
            }
        }
        throw new AssertionError("endpoints did not go quiet within 64 rounds");
    }
}
