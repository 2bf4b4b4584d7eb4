package io.stopbob.changelog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ChangelogPosterApplication {

	public static void main(String[] args) {
		SpringApplication.run(ChangelogPosterApplication.class, args);
	}

}
