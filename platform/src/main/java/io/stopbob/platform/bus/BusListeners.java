package io.stopbob.platform.bus;

import io.stopbob.platform.catalog.Catalog;

import org.springframework.beans.factory.ObjectProvider;

/**
 * What every {@link RestoringListener} of a service shares: the lanes its work runs in,
 * the dead-letter topics, the catalog that says which apps exist, and how much work may
 * wait per partition, the readers of every partition for read models that answer people,
 * and the snapshots a restart starts from.
 */
public record BusListeners(Lanes lanes, DeadLetters deadLetters, ObjectProvider<Catalog> catalog, int maxPending,
		LogReaders readers, Snapshots snapshots) {
}
