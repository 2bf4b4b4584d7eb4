package io.stopbob.ingress.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.stopbob.ingress.thread.DeployUpdates;
import io.stopbob.ledger.Deploy;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events for the open dashboards: each change of a deploy is one
 * {@code deploy} event carrying its id; the page then fetches what changed.
 * <p>
 * Bounded: at most {@link #MAX_STREAMS} streams, each closed after {@link #LIFETIME} (the
 * browser reconnects by itself) and each holding at most {@link #MAX_PENDING} unsent
 * events. Sends run on {@link #SENDERS} threads of their own, never on the thread that
 * reads the log: a browser that stops reading fills its own queue and is dropped, and
 * holds at most one sender while its write is stuck.
 */
@Component
class DashboardFeed implements DeployUpdates {

	static final int MAX_STREAMS = 100;

	static final Duration LIFETIME = Duration.ofMinutes(10);

	static final int MAX_PENDING = 64;

	private static final int SENDERS = 4;

	private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

	private final ExecutorService senders = new ThreadPoolExecutor(SENDERS, SENDERS, 1, TimeUnit.MINUTES,
			new LinkedBlockingQueue<>(), (runnable) -> {
				Thread thread = new Thread(runnable, "dashboard-feed");
				thread.setDaemon(true);
				return thread;
			});

	/** A new stream; empty when {@link #MAX_STREAMS} are open. */
	synchronized java.util.Optional<SseEmitter> subscribe() {
		if (this.streams.size() >= MAX_STREAMS) {
			return java.util.Optional.empty();
		}
		SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
		Stream stream = new Stream(emitter);
		emitter.onCompletion(() -> this.streams.remove(stream));
		emitter.onError((ex) -> this.streams.remove(stream));
		emitter.onTimeout(() -> this.streams.remove(stream));
		this.streams.add(stream);
		// A first line at once, so the browser (and any proxy) sees the stream open.
		stream.offer(SseEmitter.event().comment("StoP Bob deploys"));
		return java.util.Optional.of(emitter);
	}

	@Override
	public void changed(Deploy deploy) {
		for (Stream stream : this.streams) {
			stream.offer(SseEmitter.event().name("deploy").data(deploy.deployId()));
		}
	}

	int open() {
		return this.streams.size();
	}

	private final class Stream {

		private final SseEmitter emitter;

		private final Queue<SseEmitter.SseEventBuilder> pending = new ArrayBlockingQueue<>(MAX_PENDING);

		private final AtomicBoolean draining = new AtomicBoolean();

		Stream(SseEmitter emitter) {
			this.emitter = emitter;
		}

		void offer(SseEmitter.SseEventBuilder event) {
			if (!this.pending.offer(event)) {
				// It stopped reading; its browser reconnects and reloads when it can.
				close();
				return;
			}
			if (this.draining.compareAndSet(false, true)) {
				DashboardFeed.this.senders.execute(this::drain);
			}
		}

		private void drain() {
			try {
				SseEmitter.SseEventBuilder event;
				while ((event = this.pending.poll()) != null) {
					this.emitter.send(event);
				}
			}
			catch (IOException | IllegalStateException gone) {
				close();
			}
			finally {
				this.draining.set(false);
			}
			if (!this.pending.isEmpty() && this.draining.compareAndSet(false, true)) {
				DashboardFeed.this.senders.execute(this::drain);
			}
		}

		private void close() {
			DashboardFeed.this.streams.remove(this);
			this.pending.clear();
			try {
				this.emitter.complete();
			}
			catch (IllegalStateException alreadyClosed) {
				// completed by the container
			}
		}

	}

}
