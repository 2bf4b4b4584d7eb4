package io.stopbob.platform.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Names the caller from {@code Authorization: Bearer <token>} (automation) or
 * {@code Basic <name:token>} (a browser, whose prompt and {@code EventSource} both send
 * it), before anything reads the request's body. A Basic name must be the token's holder:
 * a token cannot pass as another caller.
 */
class CallerAuthenticationFilter extends OncePerRequestFilter {

	private final Callers callers;

	CallerAuthenticationFilter(Callers callers) {
		this.callers = callers;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null) {
			caller(header).ifPresent((name) -> SecurityContextHolder.getContext()
				.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(name, null,
						List.of(new SimpleGrantedAuthority("ROLE_CALLER")))));
		}
		chain.doFilter(request, response);
	}

	private Optional<String> caller(String header) {
		if (header.startsWith("Bearer ")) {
			return this.callers.holderOf(header.substring(7).strip());
		}
		if (header.startsWith("Basic ")) {
			String decoded;
			try {
				decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return Optional.empty();
			}
			int colon = decoded.indexOf(':');
			if (colon < 0) {
				return Optional.empty();
			}
			String name = decoded.substring(0, colon);
			return this.callers.holderOf(decoded.substring(colon + 1)).filter(name::equals);
		}
		return Optional.empty();
	}

}
