// Runs Neo4j Community (the embeddable kernel from Maven Central) as a real
// server: Bolt on a loopback address, auth on, the user database and the
// system database on disk under --home. Started and stopped by
// graph/local_server/manager.py; not meant to be run by hand.
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public class LocalNeo4j {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path home = Path.of(opts.getOrDefault("--home", "var/neo4j")).toAbsolutePath();
        String host = opts.getOrDefault("--host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("--port", "7687"));
        String user = opts.getOrDefault("--user", "neo4j");
        // The password comes through the environment so it never shows in `ps`.
        String password = System.getenv("ASSETBRIDGE_LOCAL_NEO4J_PASSWORD");
        long pageCacheMb = Long.parseLong(opts.getOrDefault("--pagecache-mb", "512"));
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null && !password.isEmpty())
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean down = new AtomicBoolean(false);
        Runnable shutdown = () -> {
            if (down.compareAndSet(false, true)) {
                dbms.shutdown();
            }
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown));

        try {
            if (password != null && !password.isEmpty()) {
                setPassword(dbms, user, password);
            }
            // Bolt listens before the password above is set; the manager waits for
            // this file so that it never tries the password too early (failed
            // attempts would trip the server's authentication rate limit).
            if (opts.containsKey("--ready-file")) {
                Files.writeString(Path.of(opts.get("--ready-file")), "bolt://" + host + ":" + port);
            }
        } catch (RuntimeException | java.io.IOException e) {
            e.printStackTrace();
            shutdown.run();
            System.exit(1);
        }
        System.out.println("assetbridge-local-neo4j ready bolt://" + host + ":" + port);
        System.out.flush();
        stopped.await();
    }

    // The configured password is authoritative for this local server, as
    // NEO4J_AUTH is for the Docker image: a fresh store's built-in user (marked
    // for a password change) gets it, and so does a store made with another one.
    private static void setPassword(DatabaseManagementService dbms, String user, String password) {
        var system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        Map<String, Object> params = new HashMap<>();
        params.put("user", user);
        params.put("password", password);
        Boolean changeRequired = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = $user "
                        + "RETURN passwordChangeRequired",
                params, r -> r.hasNext() ? (Boolean) r.next().get("passwordChangeRequired") : null);
        if (changeRequired == null) {
            system.executeTransactionally(
                    "CREATE USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
            return;
        }
        try {
            system.executeTransactionally(
                    "ALTER USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has;
            // anything else (too short, say) must stop the start with its reason.
            String message = String.valueOf(e.getMessage());
            if (changeRequired || !message.contains("cannot be the same")) {
                System.out.println("cannot set the password of " + user + ": " + message);
                throw e;
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            out.put(args[i], args[i + 1]);
        }
        return out;
    }
}
