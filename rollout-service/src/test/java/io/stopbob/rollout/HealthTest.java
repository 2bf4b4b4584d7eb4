package io.stopbob.rollout;

import io.stopbob.testkit.ServiceHealthContract;
import io.stopbob.testkit.ServiceTest;
import org.junit.jupiter.api.Order;

@ServiceTest
@Order(Integer.MAX_VALUE)
class HealthTest extends ServiceHealthContract {

}
