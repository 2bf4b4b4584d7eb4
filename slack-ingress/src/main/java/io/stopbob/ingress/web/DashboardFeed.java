package io.stopbob.ingress.web;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.stopbob.ingress.thread.DeployUpdates;
import io.stopbob.ledger.Deploy;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events for the open dashboards: each change of a deploy is one
 * {@code deploy} event carrying its id; the page then fetches what changed. A browser
 * that went away is dropped at the next send.
 */
@Component
class DashboardFeed implements DeployUpdates {

	private static final long NEVER_TIMES_OUT = 0L;

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(NEVER_TIMES_OUT);
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		try {
			// A first line at once, so the browser (and any proxy) sees the stream open.
			emitter.send(SseEmitter.event().comment("StoP Bob deploys"));
			this.emitters.add(emitter);
		}
		catch (IOException gone) {
			emitter.completeWithError(gone);
		}
		return emitter;
	}

	@Override
	public void changed(Deploy deploy) {
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(SseEmitter.event().name("deploy").data(deploy.deployId()));
			}
			catch (IOException | IllegalStateException gone) {
				this.emitters.remove(emitter);
			}
		}
	}

}
