package io.nsscope.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body to {@code nsscope.api.max-body-size}, on every path, before anything (the token check
 * included) can read it: a declared {@code Content-Length} over the limit is refused unread; any other body, chunked
 * ones included, is read up to one byte past the limit and refused there, or handed on from memory. A 64 MB body so
 * costs at most the limit, whatever endpoint it was sent to and whether that endpoint reads bodies at all.
 */
final class BodyLimit extends OncePerRequestFilter {

    private final int limit;
    private final SecurityProblems problems;

    BodyLimit(long limit, SecurityProblems problems) {
        this.limit = Math.toIntExact(limit);
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, declared);
            return;
        }
        if (declared == 0 || (declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit + 1);
        if (body.length > limit) {
            refuse(request, response, declared);
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    /**
     * Up to {@code max} bytes, with no read past them: not {@code readNBytes}, whose last, zero-length read makes
     * Tomcat wait for the next chunk header of a body that may never send one.
     */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] buffer = new byte[Math.min(max, 8192)];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < max) {
            int n = in.read(buffer, 0, Math.min(buffer.length, max - body.size()));
            if (n < 0) {
                break;
            }
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    /**
     * Answers 413 and sends it at once: Tomcat reads (swallows, up to {@code server.tomcat.max-swallow-size}) what
     * is left of a body before it sends an answer it still holds, so a client still sending would wait for it.
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, long declared) throws IOException {
        problems.answer(request, response, new BodyTooLargeException(declared, limit));
        response.flushBuffer();
    }

    /** The request with its body already read into memory. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
