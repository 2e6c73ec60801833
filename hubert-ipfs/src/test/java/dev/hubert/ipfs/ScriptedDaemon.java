package dev.hubert.ipfs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A fault-injection fake of the Kubo RPC API on 127.0.0.1 (JDK HTTP server): each command answers
 * as scripted, and every request is recorded. Only for error paths a real daemon does not produce;
 * the conformance target is the real node.
 */
final class ScriptedDaemon implements AutoCloseable {
  /** How one command answers. */
  interface Script {
    void answer(HttpExchange exchange, Request request) throws Exception;
  }

  /** A recorded request. */
  static final class Request {
    final String method;
    final String command;
    final List<Map.Entry<String, String>> query;
    final String contentType;
    final byte[] body;

    Request(String method, String command, List<Map.Entry<String, String>> query,
        String contentType, byte[] body) {
      this.method = method;
      this.command = command;
      this.query = query;
      this.contentType = contentType;
      this.body = body;
    }

    /** The first value of a query parameter, or null. */
    String param(String name) {
      return query.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-daemon");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  ScriptedDaemon() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  ScriptedDaemon on(String command, Script script) {
    scripts.put(command, script);
    return this;
  }

  /** Answers {@code command} with {@code status} and a JSON (or any) body. */
  ScriptedDaemon reply(String command, int status, String body) {
    return on(command, (ex, req) -> send(ex, status, body));
  }

  /** Answers {@code command} with headers and the start of a body, then nothing until closed. */
  ScriptedDaemon stall(String command) {
    return on(command, (ex, req) -> {
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write(new byte[100]);
      out.flush();
      Thread.sleep(600_000);
    });
  }

  /** Answers {@code command} with Kubo's error shape. */
  ScriptedDaemon error(String command, String message) {
    return reply(command, 500, "{\"Message\":\"" + message + "\",\"Code\":0,\"Type\":\"error\"}");
  }

  /** The live deadline threads of {@link KuboRpc} clients of this daemon. */
  List<Thread> clientTimers() {
    String name = "hubert-ipfs-timer " + uri().getAuthority();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .collect(Collectors.toList());
  }

  List<String> commands() {
    List<String> out = new ArrayList<>();
    requests.forEach(r -> out.add(r.command));
    return out;
  }

  Request last(String command) {
    for (int i = requests.size() - 1; i >= 0; i--) {
      if (requests.get(i).command.equals(command)) {
        return requests.get(i);
      }
    }
    throw new AssertionError("no " + command + " request; got " + commands());
  }

  static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      String command = path.startsWith("/api/v0/") ? path.substring(8) : path;
      List<Map.Entry<String, String>> query = new ArrayList<>();
      String raw = ex.getRequestURI().getRawQuery();
      if (raw != null) {
        for (String pair : raw.split("&")) {
          int eq = pair.indexOf('=');
          query.add(Map.entry(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
        }
      }
      Request request = new Request(ex.getRequestMethod(), command, query,
          ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestBody().readAllBytes());
      requests.add(request);
      Script script = scripts.get(command);
      if (script == null) {
        send(ex, 404, "{\"Message\":\"Not Found\",\"Code\":3}");
      } else {
        script.answer(ex, request);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!(e instanceof IOException)) {
        send(ex, 599, "scripted daemon failed: " + e);
      }
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
