package io.stopbob.ingress.web;

import io.stopbob.ingress.operations.StateGuard;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every page and API answer needs the read models caught up. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	private final StateGuard guard;

	WebConfiguration(StateGuard guard) {
		this.guard = guard;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new CatchingUpInterceptor(this.guard))
			.addPathPatterns("/", "/api/**", "/dashboard/**", "/deploys/**");
	}

}
