package io.stopbob.platform.catalog;

import java.util.List;

/**
 * The catalog file is missing or wrong; the message names the file and every bad field.
 */
public class CatalogException extends RuntimeException {

	private final String file;

	private final List<String> problems;

	public CatalogException(String file, List<String> problems) {
		super("Invalid catalog " + file + ":\n  - " + String.join("\n  - ", problems));
		this.file = file;
		this.problems = List.copyOf(problems);
	}

	public String file() {
		return this.file;
	}

	public List<String> problems() {
		return this.problems;
	}

}
