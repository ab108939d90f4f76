package dev.ferry.bench.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between Ferry and PostgreSQL that can be cut in two ways.
 *
 * <p>{@link #stop()} is an outage both ends notice: the listener is gone, so new connections are
 * refused, and every open connection is closed on both sides. {@link #start()} listens again on the
 * same port, so the JDBC URL stays valid across outages.
 *
 * <p>{@link #stall()} is a network that silently stops carrying bytes, the harder case: every socket
 * stays open, new connections are accepted, but nothing is forwarded in either direction until
 * {@link #resume()}; what was read meanwhile is delivered then, in order, so no byte is lost. Neither
 * end gets an error; only its own timeouts can tell it the other end is gone.
 */
public final class TcpProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object flow = new Object();
    private volatile boolean stalled;
    private volatile ServerSocket listener;
    private volatile int port;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens: on an ephemeral port the first time, on that same port afterwards. */
    public synchronized TcpProxy start() throws IOException {
        if (listener != null) {
            return this;
        }
        ServerSocket s = new ServerSocket();
        // the port was ours a moment ago; its closed connections may still be in TIME_WAIT
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(LOOPBACK, port), 50);
        port = s.getLocalPort();
        listener = s;
        Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /** Stops listening and closes every forwarded connection, on both sides. */
    public synchronized void stop() {
        ServerSocket s = listener;
        listener = null;
        closeQuietly(s);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
        resume(); // a pump held by a stall must see its socket closed, not wait on
    }

    /** Stops forwarding bytes, in both directions and for new connections too; every socket stays open. */
    public void stall() {
        stalled = true;
    }

    /** Forwards again, first what was held back. */
    public void resume() {
        synchronized (flow) {
            stalled = false;
            flow.notifyAll();
        }
    }

    public boolean isStalled() {
        return stalled;
    }

    public boolean isRunning() {
        return listener != null;
    }

    public int port() {
        if (port == 0) {
            throw new IllegalStateException("the proxy has not been started");
        }
        return port;
    }

    /** A JDBC URL for the given database, through this proxy. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // stop() closed the listener
            }
            Socket server = new Socket();
            try {
                awaitFlow();
                server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
            } catch (IOException | InterruptedException e) {
                closeQuietly(client);
                closeQuietly(server);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            open.add(client);
            open.add(server);
            // stop() may have run between accept and here; its sweep would have missed this pair
            if (listener != s) {
                closeQuietly(client);
                closeQuietly(server);
                open.remove(client);
                open.remove(server);
                return;
            }
            pump(client, server, "c2s");
            pump(server, client, "s2c");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    // held here while stalled: the sender fills the socket buffers and then blocks, as on a dead link
                    awaitFlow();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away (or stop() closed it): the other side must notice too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-" + direction + "-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void awaitFlow() throws InterruptedException {
        if (!stalled) {
            return;
        }
        synchronized (flow) {
            while (stalled) {
                flow.wait();
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
