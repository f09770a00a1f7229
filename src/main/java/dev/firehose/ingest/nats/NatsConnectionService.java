package dev.firehose.ingest.nats;

import io.nats.client.Connection;
import org.apache.camel.support.service.ServiceSupport;

/** Closes the shared NATS connection when Camel stops, after the routes and the cursor's last save. */
public final class NatsConnectionService extends ServiceSupport {

    private final Connection connection;

    public NatsConnectionService(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    @Override
    protected void doStop() throws Exception {
        // Drain lets in-flight publishes finish before the socket closes.
        connection.drain(java.time.Duration.ofSeconds(5)).get();
        connection.close();
    }
}
