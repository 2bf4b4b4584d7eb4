package io.stopbob.tagger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ReleaseTaggerApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReleaseTaggerApplication.class, args);
	}

}
