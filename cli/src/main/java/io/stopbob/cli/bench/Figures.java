package io.stopbob.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A benchmark's figures: printed as {@code name=value} lines as they are measured, and
 * kept in {@code <results>/<bench>.properties} for the report.
 */
final class Figures {

	private final String bench;

	private final PrintStream out;

	private final Map<String, String> values = new LinkedHashMap<>();

	Figures(String bench, PrintStream out) {
		this.bench = bench;
		this.out = out;
	}

	void put(String name, Object value) {
		String text = (value instanceof Double number) ? String.format(Locale.ROOT, "%.2f", number)
				: String.valueOf(value);
		this.values.put(name, text);
		this.out.println(name + "=" + text);
	}

	/** What was measured so far, by name. */
	Map<String, String> values() {
		return Collections.unmodifiableMap(this.values);
	}

	void save(Path results) throws IOException {
		Files.createDirectories(results);
		Properties properties = new Properties();
		properties.putAll(this.values);
		try (Writer writer = Files.newBufferedWriter(results.resolve(this.bench + ".properties"),
				StandardCharsets.UTF_8)) {
			properties.store(writer, this.bench);
		}
	}

	static Map<String, String> load(Path file) throws IOException {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			properties.load(reader);
		}
		Map<String, String> values = new LinkedHashMap<>();
		properties.stringPropertyNames()
			.stream()
			.sorted()
			.forEach((name) -> values.put(name, properties.getProperty(name)));
		return values;
	}

}
