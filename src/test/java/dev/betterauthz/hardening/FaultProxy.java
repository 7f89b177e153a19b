package dev.betterauthz.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP forwarder with the faults a network can produce, for fault-injection tests: added
 * latency on every chunk, a cut (connections closed, new ones closed at accept), a reset (RST on
 * every connection, now and at accept) and a blackhole (bytes held back, new connections accepted
 * and never answered; bytes held back are delivered when the fault ends, like a healed partition).
 * The listening port (chosen by the OS) stays bound for the proxy's life. Extends the idea of
 * {@code tenancy.TcpProxy} with latency and reset. Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does to traffic. */
  public enum Fault {
    NONE,
    CUT,
    RESET,
    BLACKHOLE,
    LATENCY
  }

  private final String targetHost;
  private final int targetPort;
  private final String name;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ServerSocket server;
  private final Object gate = new Object();
  private final AtomicLong faults = new AtomicLong();
  private volatile Fault fault = Fault.NONE;
  private volatile long latencyMillis;

  public FaultProxy(String name, String targetHost, int targetPort) throws IOException {
    this.name = name;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread accept = new Thread(this::acceptLoop, "fault-proxy-" + name);
    accept.setDaemon(true);
    accept.start();
  }

  /** A proxy in front of the host and port of {@code url} ({@code defaultPort} when absent). */
  public static FaultProxy inFrontOf(String name, String url, int defaultPort) throws IOException {
    URI uri = URI.create(url);
    return new FaultProxy(name, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
  }

  /** {@code url} with its port replaced by this proxy's (host becomes 127.0.0.1). */
  public String rewrite(String url, int defaultPort) {
    URI uri = URI.create(url);
    String authority =
        (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@") + "127.0.0.1:" + port();
    return uri.getScheme()
        + "://"
        + authority
        + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  public int port() {
    return server.getLocalPort();
  }

  public String name() {
    return name;
  }

  public Fault fault() {
    return fault;
  }

  /** How many faults were injected over the proxy's life. */
  public long faultsInjected() {
    return faults.get();
  }

  /** Ends any fault: traffic flows again, held-back bytes are delivered. */
  public void heal() {
    fault = Fault.NONE;
    latencyMillis = 0;
    synchronized (gate) {
      gate.notifyAll();
    }
  }

  /** Adds {@code millis} before every forwarded chunk, in both directions. */
  public void latency(long millis) {
    faults.incrementAndGet();
    latencyMillis = millis;
    fault = Fault.LATENCY;
  }

  /** Closes every connection (FIN); new connections are closed as soon as accepted. */
  public void cut() {
    faults.incrementAndGet();
    fault = Fault.CUT;
    closeAll(false);
  }

  /** Resets every connection (RST); new connections are reset as soon as accepted. */
  public void reset() {
    faults.incrementAndGet();
    fault = Fault.RESET;
    closeAll(true);
  }

  /** Holds every byte back and leaves new connections unanswered, until {@link #heal()}. */
  public void blackhole() {
    faults.incrementAndGet();
    fault = Fault.BLACKHOLE;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        switch (fault) {
          case CUT -> client.close();
          case RESET -> abort(client);
          case BLACKHOLE -> open.add(client);
          default -> forward(client);
        }
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void forward(Socket client) {
    open.add(client);
    try {
      Socket upstream = new Socket(targetHost, targetPort);
      upstream.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      open.add(upstream);
      pipe(client, upstream);
      pipe(upstream, client);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  holdWhileFaulty();
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // connection cut or proxy closed: both sides are closed below
              } finally {
                open.remove(from);
                open.remove(to);
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "fault-proxy-pipe-" + name);
    t.setDaemon(true);
    t.start();
  }

  private void holdWhileFaulty() throws InterruptedException {
    long delay = latencyMillis;
    if (fault == Fault.LATENCY && delay > 0) {
      Thread.sleep(delay); // NOTE: the injected fault itself, not synchronisation
    }
    synchronized (gate) {
      while (fault == Fault.BLACKHOLE) {
        gate.wait();
      }
    }
  }

  private void closeAll(boolean rst) {
    for (Socket s : open) {
      if (rst) {
        abort(s);
      } else {
        closeQuietly(s);
      }
    }
    open.clear();
  }

  private static void abort(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    heal();
    closeAll(false);
    server.close();
  }
}
