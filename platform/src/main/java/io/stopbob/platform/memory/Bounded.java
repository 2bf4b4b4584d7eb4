package io.stopbob.platform.memory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps and sets that hold at most a given number of entries and forget the oldest first,
 * strictly: a cache library's size bound may turn away the newest entry, and here the
 * newest is the one most likely to be asked for again. Each is synchronized; its
 * iteration needs the caller to hold its lock.
 */
public final class Bounded {

	private Bounded() {
	}

	/** Forgets the entry put the longest time ago. */
	public static <K, V> Map<K, V> newest(int max) {
		return Collections.synchronizedMap(lru(max, false));
	}

	/** Forgets the entry used (put or read) the longest time ago. */
	public static <K, V> Map<K, V> recentlyUsed(int max) {
		return Collections.synchronizedMap(lru(max, true));
	}

	/** Forgets the element added the longest time ago. */
	public static <E> Set<E> newestOf(int max) {
		return Collections.synchronizedSet(Collections.newSetFromMap(lru(max, false)));
	}

	private static <K, V> LinkedHashMap<K, V> lru(int max, boolean accessOrder) {
		if (max < 1) {
			throw new IllegalArgumentException("a bounded map holds at least one entry, not " + max);
		}
		return new LinkedHashMap<>(16, 0.75f, accessOrder) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > max;
			}

		};
	}

}
