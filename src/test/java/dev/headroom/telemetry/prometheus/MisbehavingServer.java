package dev.headroom.telemetry.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP/1.1 server on loopback for the fleet client's hostile cases: it reads the request's headers and then
 * hands the socket's output to a behaviour that may answer properly, drip, never end or send too much. Each
 * connection runs on its own daemon thread; closing the server closes the listening socket.
 */
public final class MisbehavingServer implements AutoCloseable {
    /** What to send once a request's headers are in. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;

    public MisbehavingServer(Behaviour behaviour) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread connection = new Thread(() -> serve(client, behaviour), "misbehaving-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "misbehaving-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proper answer: status 200, JSON, with its length. */
    public static Behaviour json(String body) {
        return out -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
        };
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private static void serve(Socket client, Behaviour behaviour) {
        try (client) {
            InputStream in = client.getInputStream();
            int matched = 0; // of "\r\n\r\n", the end of the headers
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            behaviour.answer(client.getOutputStream());
            client.getOutputStream().flush();
        } catch (IOException | InterruptedException gone) {
            // the client hung up, as a client with a deadline does
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
