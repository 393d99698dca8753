package dev.caravan.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.caravan.common.web.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies ({@code caravan.security.limits.*}): a declared Content-Length over the limit is answered
 * 413 at once; a chunked body is cut when it passes the limit (the handler then answers 413). Paths that stream
 * and enforce their own limit (CSV imports) are exempt.
 */
class RequestSizeLimitFilter extends OncePerRequestFilter {

    private record Limit(String prefix, long bytes) {
    }

    private final long defaultLimit;
    private final List<Limit> limits = new ArrayList<>();
    private final List<String> exempt;
    private final LoginThrottleFilter.Refusal tooLarge;

    RequestSizeLimitFilter(AccessProperties.Limits props, LoginThrottleFilter.Refusal tooLarge) {
        this.defaultLimit = props.maxRequestSize().toBytes();
        for (String p : props.paths()) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("caravan.security.limits.paths entries are prefix=size, not " + p);
            limits.add(new Limit(p.substring(0, eq).trim(), DataSize.parse(p.substring(eq + 1).trim()).toBytes()));
        }
        limits.sort(Comparator.comparingInt((Limit l) -> l.prefix().length()).reversed());
        this.exempt = List.copyOf(props.exempt());
        this.tooLarge = tooLarge;
    }

    long limitFor(String path) {
        for (Limit l : limits) if (path.startsWith(l.prefix())) return l.bytes();
        return defaultLimit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (exempt.stream().anyMatch(path::startsWith)) {
            chain.doFilter(request, response);
            return;
        }
        long limit = limitFor(path);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge.write(response, message(limit));
            return;
        }
        chain.doFilter(declared >= 0 ? request : new Limited(request, limit), response);
    }

    static String message(long limit) {
        return "the request body is larger than " + DataSize.ofBytes(limit).toMegabytes() + " MB ("
                + limit + " bytes); see caravan.security.limits";
    }

    /** Counts what the handler reads and fails past the limit. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) add(1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) add(n);
                        return n;
                    }

                    private void add(int n) {
                        count += n;
                        if (count > limit) throw new PayloadTooLargeException(message(limit));
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            return new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }
    }
}
