package io.stopbob.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.stopbob.platform.retry.Retrying;
import io.stopbob.platform.retry.Retrying.Retry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RetryingTest {

	private final Retrying retrying = new Retrying("test", 3, Duration.ofMillis(1), Duration.ofMillis(50));

	@Test
	void aCallThatRecoversReturnsItsValue() {
		AtomicInteger calls = new AtomicInteger();

		String value = this.retrying.call("flaky", () -> {
			if (calls.incrementAndGet() < 3) {
				throw new Retry("HTTP 502");
			}
			return "ok";
		});

		assertThat(value).isEqualTo("ok");
		assertThat(calls).hasValue(3);
	}

	@Test
	void aCallThatKeepsFailingGivesUpAfterItsAttemptsWithTheLastReason() {
		AtomicInteger calls = new AtomicInteger();

		assertThatExceptionOfType(Retrying.GaveUp.class).isThrownBy(() -> this.retrying.call("down", () -> {
			calls.incrementAndGet();
			throw new Retry("HTTP 503");
		})).withMessage("down kept failing (HTTP 503) after 3 attempts");
		assertThat(calls).hasValue(3);
	}

	@Test
	void aRetryAfterIsHonouredButNeverBeyondTheCeiling() {
		AtomicInteger calls = new AtomicInteger();
		long start = System.nanoTime();

		this.retrying.call("limited", () -> {
			if (calls.incrementAndGet() == 1) {
				throw new Retry("429", Duration.ofHours(1));
			}
			return "ok";
		});

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void aTimedWaitSpendsNoAttemptButHasABoundOfItsOwn() {
		AtomicInteger calls = new AtomicInteger();

		// Two failures, a rate limit, then success: within 3 attempts, as the wait is
		// GitHub's instruction rather than a failure.
		String value = this.retrying.call("failing then limited", () -> {
			int call = calls.incrementAndGet();
			if (call <= 2) {
				throw new Retry("HTTP 502");
			}
			if (call == 3) {
				throw new Retry("secondary rate limit", Duration.ofMillis(1));
			}
			return "ok";
		});
		assertThat(value).isEqualTo("ok");

		calls.set(0);
		assertThatExceptionOfType(Retrying.GaveUp.class).isThrownBy(() -> this.retrying.call("always limited", () -> {
			calls.incrementAndGet();
			throw new Retry("429", Duration.ofMillis(1));
		})).withMessageContaining("429");
		assertThat(calls).hasValue(4);
	}

	@Test
	void whatIsNotWorthRetryingPassesStraightThrough() {
		AtomicInteger calls = new AtomicInteger();

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.retrying.call("refused", () -> {
			calls.incrementAndGet();
			throw new IllegalStateException("channel_not_found");
		}));
		assertThat(calls).hasValue(1);
	}

}
