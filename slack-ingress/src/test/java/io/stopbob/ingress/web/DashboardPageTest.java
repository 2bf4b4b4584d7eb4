package io.stopbob.ingress.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.stopbob.ingress.operations.History;
import io.stopbob.ingress.operations.HistoryTest;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.PipelineEvent;
import io.stopbob.ledger.operations.Board;
import io.stopbob.platform.catalog.Catalog;
import io.stopbob.platform.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard of a ledger restored from snapshots is the dashboard it was taken of. */
class DashboardPageTest {

	private final Catalog catalog = CatalogLoader.load(new ClassPathResource("test-catalog.yml"));

	private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);

	private final List<PipelineEvent> log = HistoryTest.log();

	@Test
	void aLedgerRestoredFromSnapshotsShowsTheSameDashboard() {
		Ledger window = new Ledger(Ledger.Limits.window(5));
		this.log.forEach(window::apply);
		Ledger restored = HistoryTest.restored(window);

		assertThat(page(restored).live()).isEqualTo(page(window).live()).contains("demo");
	}

	private DashboardPage page(Ledger ledger) {
		return new DashboardPage(ledger, new Board(), this.catalog,
				new History(this.catalog, ledger, HistoryTest.brokerOf(this.log)), this.clock);
	}

}
