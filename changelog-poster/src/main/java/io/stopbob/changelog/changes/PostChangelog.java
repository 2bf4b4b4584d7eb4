package io.stopbob.changelog.changes;

import java.util.List;

import io.stopbob.ledger.PipelineEvent.Kind;
import io.stopbob.ledger.PipelineEvent.Tagged;
import io.stopbob.platform.catalog.App;
import io.stopbob.platform.catalog.Catalog;

/**
 * Every release tells the team what went out: the commits since the target's previous
 * release, grouped by pull request, in the app's changelog channel. A rollback lists what
 * it takes out; a target's first release its last commits. One message per deploy, ever.
 */
public class PostChangelog {

	static final int FIRST_RELEASE_COMMITS = 20;

	private final Catalog catalog;

	private final ChangeHistory history;

	private final ChangelogChannel channel;

	public PostChangelog(Catalog catalog, ChangeHistory history, ChangelogChannel channel) {
		this.catalog = catalog;
		this.history = history;
		this.channel = channel;
	}

	/**
	 * @param uncertain the message may already be there (a crash between posting and
	 * committing): look before posting
	 * @return false when there was nothing to post (unknown app, or posted before)
	 */
	public boolean tagCreated(Tagged tagged, boolean uncertain) {
		App app = this.catalog.app(tagged.meta().target().app()).orElse(null);
		if (app == null) {
			return false;
		}
		String key = tagged.deployId() + ":changelog";
		if (uncertain && this.channel.find(app.changelogChannel(), key).isPresent()) {
			return false;
		}
		String previous = (tagged.previousTag() != null) ? tagged.previousTag() : tagged.previousSha();
		boolean rollback = tagged.kind() == Kind.ROLLBACK && previous != null;
		boolean first = previous == null;
		List<Change> changes;
		String compareUrl;
		if (first) {
			changes = this.history.last(app.repository(), tagged.sha(), FIRST_RELEASE_COMMITS);
			compareUrl = null;
		}
		else if (rollback) {
			// What the rollback takes out: from the SHA we go back to, up to what runs
			// now.
			changes = this.history.between(app.repository(), tagged.sha(), previous);
			compareUrl = this.history.compareUrl(app.repository(), tagged.sha(), previous);
		}
		else {
			changes = this.history.between(app.repository(), previous, tagged.sha());
			compareUrl = this.history.compareUrl(app.repository(), previous, tagged.sha());
		}
		Changelog changelog = Changelog.of(new Changelog.Release(tagged.meta().target().app(),
				tagged.meta().target().environment(), tagged.tag(), tagged.releaseUrl(), compareUrl, rollback, first),
				changes);
		this.channel.post(tagged.deployId(), app.changelogChannel(), key, changelog);
		return true;
	}

}
