package dev.ferry.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

/**
 * An RMI JMX connector on a free loopback port in front of the platform MBean server (where
 * Camel registers its MBeans), and a client connected through it: what JConsole does against
 * -Dcom.sun.management.jmxremote.port.
 */
public final class JmxServer implements AutoCloseable {

    private final Registry rmiRegistry;
    private final JMXConnectorServer server;
    private final JMXConnector client;

    public JmxServer() throws IOException {
        int port = freePort();
        rmiRegistry = LocateRegistry.createRegistry(port);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        server = JMXConnectorServerFactory.newJMXConnectorServer(url, null, ManagementFactory.getPlatformMBeanServer());
        server.start();
        client = JMXConnectorFactory.connect(server.getAddress());
    }

    public MBeanServerConnection connection() throws IOException {
        return client.getMBeanServerConnection();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.stop();
        try {
            UnicastRemoteObject.unexportObject(rmiRegistry, true);
        } catch (NoSuchObjectException ignored) {
            // already gone
        }
    }
}
