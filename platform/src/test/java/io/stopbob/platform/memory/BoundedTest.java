package io.stopbob.platform.memory;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedTest {

	@Test
	void theNewestMapForgetsWhatWasPutFirstEvenIfItWasReadSince() {
		Map<String, Integer> map = Bounded.newest(2);
		map.put("a", 1);
		map.put("b", 2);
		map.get("a");
		map.put("c", 3);

		assertThat(map).containsOnlyKeys("b", "c");
	}

	@Test
	void theRecentlyUsedMapKeepsWhatWasReadSince() {
		Map<String, Integer> map = Bounded.recentlyUsed(2);
		map.put("a", 1);
		map.put("b", 2);
		map.get("a");
		map.computeIfAbsent("c", (key) -> 3);

		assertThat(map).containsOnlyKeys("a", "c");
	}

	@Test
	void aSetHoldsTheNewestElementsAndAlwaysTheLastAdded() {
		Set<String> set = Bounded.newestOf(3);
		for (int i = 0; i < 10; i++) {
			set.add("e-" + i);
		}

		assertThat(set).containsExactlyInAnyOrder("e-7", "e-8", "e-9");
	}

}
