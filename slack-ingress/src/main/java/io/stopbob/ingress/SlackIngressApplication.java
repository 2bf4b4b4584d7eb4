package io.stopbob.ingress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SlackIngressApplication {

	public static void main(String[] args) {
		SpringApplication.run(SlackIngressApplication.class, args);
	}

}
