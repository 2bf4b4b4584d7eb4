package io.stopbob.ledger.messaging;

import io.stopbob.ledger.Ledger;
import io.stopbob.ledger.operations.Board;
import io.stopbob.ledger.rules.TargetRules;
import io.stopbob.platform.catalog.GroupMembership;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * One ledger per service, filled by that service's listener; the board of locks, queues
 * and approvals where the service reads them; the rules a deploy must pass.
 */
@AutoConfiguration
@EnableConfigurationProperties(LedgerProperties.class)
public class LedgerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Ledger ledger(LedgerProperties properties) {
		return new Ledger(properties.ledgerLimits());
	}

	@Bean
	@ConditionalOnMissingBean
	Board board(LedgerProperties properties) {
		return new Board(properties.boardLimits());
	}

	/** Group members only where Slack can be asked (a bot token); otherwise nobody. */
	@Bean
	@ConditionalOnMissingBean
	TargetRules targetRules(Ledger ledger, Board board, ObjectProvider<GroupMembership> groups) {
		return new TargetRules(ledger, board, groups.getIfAvailable(() -> GroupMembership.NONE));
	}

}
