package io.stopbob.ingress.config;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.stopbob.ingress.command.CancelCommand;
import io.stopbob.ingress.command.CommandHandler;
import io.stopbob.ingress.command.CommandRouter;
import io.stopbob.ingress.command.DeployCommand;
import io.stopbob.ingress.command.HistoryCommand;
import io.stopbob.ingress.command.LockCommand;
import io.stopbob.ingress.command.NotifyCommand;
import io.stopbob.ingress.command.QueueCommand;
import io.stopbob.ingress.command.RollbackCommand;
import io.stopbob.ingress.command.StatsCommand;
import io.stopbob.ingress.command.StatusCommand;
import io.stopbob.ingress.command.UnlockCommand;
import io.stopbob.ingress.deploy.DeployRequests;
import io.stopbob.ingress.deploy.RequestDeploy;
import io.stopbob.ingress.deploy.RequestPolicy;
import io.stopbob.ingress.messaging.KafkaPipelineLog;
import io.stopbob.ingress.operations.Approvals;
import io.stopbob.ingress.operations.DeployQueue;
import io.stopbob.ingress.operations.History;
import io.stopbob.ingress.operations.Locks;
import io.stopbob.ingress.operations.OperationLog;
import io.stopbob.ingress.operations.Recorder;
import io.stopbob.ingress.operations.Reports;
import io.stopbob.ingress.operations.Rollbacks;
import io.stopbob.ingress.operations.StateGuard;
import io.stopbob.ingress.thread.DeployUpdates;
import io.stopbob.ingress.thread.SlackWorkspace;
import io.stopbob.ingress.thread.ThreadReporter;
import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.rules.TargetRules;
import io.stopbob.platform.bus.LogRange;
import io.stopbob.platform.bus.RestoringListener;
import io.stopbob.platform.catalog.Catalog;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The use cases and their wiring; adapters come from {@link SlackConfiguration}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngressProperties.class)
class IngressConfiguration {

	@Bean
	Recorder recorder(OperationLog log, Board board, Clock clock,
			@Value("${spring.application.name}") String producer) {
		return new Recorder(log, board, clock, producer);
	}

	@Bean
	RequestPolicy requestPolicy(Catalog catalog, TargetRules rules, Clock clock) {
		return new RequestPolicy(catalog, rules, clock);
	}

	@Bean
	RequestDeploy requestDeploy(RequestPolicy policy, Catalog catalog, Ledger ledger, SlackWorkspace slack,
			DeployRequests requests, Recorder recorder, Clock clock,
			@Value("${spring.application.name}") String producer) {
		return new RequestDeploy(policy, catalog, ledger, slack, requests, recorder, clock, producer);
	}

	@Bean
	Locks locks(Catalog catalog, Board board, Recorder recorder, RequestPolicy policy, SlackWorkspace slack,
			Clock clock) {
		return new Locks(catalog, board, recorder, policy, slack, clock);
	}

	@Bean
	DeployQueue deployQueue(RequestDeploy requestDeploy, RequestPolicy policy, Board board, Ledger ledger,
			Recorder recorder, SlackWorkspace slack, Catalog catalog, Clock clock) {
		return new DeployQueue(requestDeploy, policy, board, ledger, recorder, slack, catalog, clock);
	}

	@Bean
	Approvals approvals(Board board, Ledger ledger, RequestDeploy requestDeploy, RequestPolicy policy,
			Recorder recorder, SlackWorkspace slack, Catalog catalog, Clock clock) {
		return new Approvals(board, ledger, requestDeploy, policy, recorder, slack, catalog, clock);
	}

	@Bean
	Rollbacks rollbacks(Catalog catalog, Ledger ledger, RequestDeploy requestDeploy) {
		return new Rollbacks(catalog, ledger, requestDeploy);
	}

	@Bean
	Reports reports(Catalog catalog, Ledger ledger, Board board, History history, Clock clock) {
		return new Reports(catalog, ledger, board, history, clock);
	}

	@Bean
	History history(Catalog catalog, Ledger ledger, LogRange range) {
		return new History(catalog, ledger, new KafkaPipelineLog(range));
	}

	@Bean
	RollbackCommand rollbackCommand(Rollbacks rollbacks) {
		return new RollbackCommand(rollbacks);
	}

	@Bean
	LockCommand lockCommand(Locks locks) {
		return new LockCommand(locks);
	}

	@Bean
	UnlockCommand unlockCommand(Locks locks) {
		return new UnlockCommand(locks);
	}

	@Bean
	QueueCommand queueCommand(DeployQueue queue) {
		return new QueueCommand(queue);
	}

	@Bean
	CancelCommand cancelCommand(DeployQueue queue) {
		return new CancelCommand(queue);
	}

	@Bean
	StatusCommand statusCommand(Reports reports) {
		return new StatusCommand(reports);
	}

	@Bean
	HistoryCommand historyCommand(Reports reports) {
		return new HistoryCommand(reports);
	}

	@Bean
	StatsCommand statsCommand(Reports reports) {
		return new StatsCommand(reports);
	}

	@Bean
	NotifyCommand notifyCommand(Recorder recorder) {
		return new NotifyCommand(recorder);
	}

	@Bean
	DeployCommand deployCommand(Catalog catalog, RequestDeploy requestDeploy) {
		return new DeployCommand(catalog, requestDeploy);
	}

	@Bean
	CommandRouter commandRouter(List<CommandHandler> handlers, StateGuard guard) {
		return new CommandRouter(handlers, guard);
	}

	/** Every restoring listener of the service caught up: the read models hold all. */
	@Bean
	StateGuard stateGuard(ObjectProvider<RestoringListener> listeners) {
		return new StateGuard(() -> listeners.orderedStream().allMatch(RestoringListener::caughtUp), () -> {
			Map<String, String> progress = new TreeMap<>();
			listeners.orderedStream().forEach((listener) -> progress.putAll(listener.progress()));
			return progress;
		});
	}

	@Bean
	ThreadReporter threadReporter(Ledger ledger, SlackWorkspace slack, Board board, DeployUpdates updates,
			IngressProperties properties) {
		return new ThreadReporter(ledger, slack, board, updates, properties.threadsHeld());
	}

	/**
	 * Work a command starts after its acknowledgement (opening a modal); bounded, never
	 * dropped.
	 */
	@Bean(destroyMethod = "shutdown")
	ExecutorService afterAck() {
		return new ThreadPoolExecutor(2, 8, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000),
				new ThreadPoolExecutor.CallerRunsPolicy());
	}

}
