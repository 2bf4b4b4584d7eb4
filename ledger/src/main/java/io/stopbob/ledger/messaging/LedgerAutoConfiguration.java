package io.stopbob.ledger.messaging;

import io.stopbob.ledger.Ledger;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** One ledger per service, filled by that service's listener. */
@AutoConfiguration
public class LedgerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Ledger ledger() {
		return new Ledger();
	}

}
