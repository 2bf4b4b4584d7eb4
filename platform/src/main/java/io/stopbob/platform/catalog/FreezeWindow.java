package io.stopbob.platform.catalog;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A recurring time in which an environment takes no deploys, e.g. Fridays from 15:00 in
 * Europe/Berlin. A window whose end is not after its start runs past midnight; one whose
 * start equals its end lasts the whole day.
 *
 * @param name what a refused person reads, e.g. "Friday afternoon"
 * @param days the days it starts on
 * @param from start, {@code HH:mm}
 * @param to end, {@code HH:mm}
 * @param zone the time zone the times are in
 */
public record FreezeWindow(@NotBlank String name, @NotEmpty List<DayOfWeek> days,
		@Pattern(regexp = TIME, message = "must be HH:mm") @DefaultValue("00:00") String from,
		@Pattern(regexp = TIME, message = "must be HH:mm") @DefaultValue("00:00") String to,
		@DefaultValue("UTC") String zone) {

	private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";

	@AssertTrue(message = "zone must be a time zone id such as Europe/Berlin or UTC")
	public boolean isZoneKnown() {
		try {
			ZoneId.of(this.zone);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	public boolean covers(Instant instant) {
		ZonedDateTime local = instant.atZone(ZoneId.of(this.zone));
		LocalTime start = LocalTime.parse(this.from);
		LocalTime end = LocalTime.parse(this.to);
		LocalTime time = local.toLocalTime();
		if (start.equals(end)) {
			return this.days.contains(local.getDayOfWeek());
		}
		if (start.isBefore(end)) {
			return this.days.contains(local.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
		}
		// Past midnight: the evening of a listed day, or the early hours after one.
		return (this.days.contains(local.getDayOfWeek()) && !time.isBefore(start))
				|| (this.days.contains(local.getDayOfWeek().minus(1)) && time.isBefore(end));
	}

	/** How a person reads it: "Friday afternoon (FRIDAY 15:00–00:00 Europe/Berlin)". */
	public String describe() {
		return this.name + " (" + String.join(",", this.days.stream().map(DayOfWeek::name).toList()) + " " + this.from
				+ "–" + this.to + " " + this.zone + ")";
	}

}
