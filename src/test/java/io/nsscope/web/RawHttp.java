package io.nsscope.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for the few tests that must control the bytes on the wire: a path spelled exactly as
 * given (REST Assured's Apache client normalises dot segments, empty segments and percent-encoding before sending),
 * a {@code Content-Length} larger than the body actually sent, a chunked body cut off. One request per connection;
 * the read timeout only guards against a server that never answers.
 */
final class RawHttp {

    /** A response: status, headers (lower-case names) and body as text. */
    record Response(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean isProblem() {
            String type = header("content-type");
            return type != null && type.startsWith("application/problem+json");
        }
    }

    private RawHttp() {}

    /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) then {@code body}. */
    static Response send(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    (head + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // The server answered and closed before taking all of the body: read what it said.
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** A request without a body. */
    static Response request(int port, String method, String path, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1");
        for (String h : headers) {
            head.append("\r\n").append(h);
        }
        return send(port, head.toString(), null);
    }

    /**
     * Reads one response by its framing (Content-Length, chunked, or up to the end of the stream), not up to the
     * end of the connection: a server still swallowing a body it refused keeps the connection open for a while.
     */
    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] separator = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int end;
        while ((end = indexOf(received.toByteArray(), separator, 0)) < 0) {
            if (!readSome(in, received)) {
                throw new IOException("no complete HTTP response: '" + received.toString(StandardCharsets.UTF_8) + "'");
            }
        }
        byte[] raw = received.toByteArray();
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(raw, end + 4, raw.length - end - 4);
        byte[] content;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            byte[] last = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            while (indexOf(body.toByteArray(), last, 0) < 0 && readSome(in, body)) {
                // until the last chunk
            }
            content = dechunk(body.toByteArray());
        } else if (headers.containsKey("content-length")) {
            long length = Long.parseLong(headers.get("content-length"));
            while (body.size() < length && readSome(in, body)) {
                // until the declared length
            }
            content = body.toByteArray();
        } else {
            while (readSome(in, body)) {
                // until the end of the stream
            }
            content = body.toByteArray();
        }
        return new Response(
                Integer.parseInt(lines[0].split(" ")[1]), headers, new String(content, StandardCharsets.UTF_8));
    }

    private static boolean readSome(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        try {
            n = in.read(buffer);
        } catch (java.net.SocketException e) {
            return false; // a reset after the answer: keep what arrived
        }
        if (n <= 0) {
            return false;
        }
        into.write(buffer, 0, n);
        return true;
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < body.length) {
            int eol = indexOf(body, crlf, at);
            if (eol < 0) {
                break;
            }
            String line = new String(body, at, eol - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(line.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, eol + 2, Math.min(size, body.length - eol - 2));
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
