package io.stopbob.platform.edge;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Every service's HTTP edge: health probes open, the paths that verify their own
 * signatures open, everything else (the dashboard and its stream, the API, health
 * details) only for a named caller. Stateless: no session, no cookie, so no CSRF.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@EnableWebSecurity
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeAutoConfiguration {

	@Bean
	Callers callers(EdgeProperties properties) {
		return Callers.of(properties);
	}

	@Bean
	SecurityFilterChain edge(HttpSecurity http, Callers callers, EdgeProperties properties) throws Exception {
		return http.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.requestCache((cache) -> cache.disable())
			.addFilterBefore(new CallerAuthenticationFilter(callers), AuthorizationFilter.class)
			.authorizeHttpRequests((requests) -> requests
				// A stream's later dispatches and error pages belong to a request already
				// let in.
				.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
				.permitAll()
				.requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
						"/actuator/prometheus", "/actuator/info")
				.permitAll()
				.requestMatchers(properties.openPaths().toArray(String[]::new))
				.permitAll()
				.anyRequest()
				.authenticated())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(refusal(callers)))
			.build();
	}

	/** First of all filters: nothing reads a body over the limit. */
	@Bean
	FilterRegistrationBean<BodyLimitFilter> bodyLimit(EdgeProperties properties) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(properties.maxBody().toBytes()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Callers are named by {@link CallerAuthenticationFilter} alone; this keeps Spring
	 * Boot from making a user with a generated password.
	 */
	@Bean
	AuthenticationManager noOtherAuthentication() {
		return (authentication) -> {
			throw new BadCredentialsException("callers are named by their tokens only");
		};
	}

	private static AuthenticationEntryPoint refusal(Callers callers) {
		return (request, response, ex) -> {
			String message = callers.none()
					? "nobody may call this: set STOP_API_TOKEN or STOP_API_CALLERS_FILE on the service"
					: "missing or wrong credentials: send Authorization: Bearer <token>, or Basic <name>:<token>";
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"StoP Bob\", charset=\"UTF-8\"");
			Refusals.write(response, callers.none() ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED, "token", message);
		};
	}

}
