package io.trunkline.promotion.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.commons.rest.Problem;
import io.trunkline.events.DeploymentState;
import io.trunkline.promotion.service.DeploymentFinishedException;
import io.trunkline.promotion.service.DeploymentNotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The domain exceptions of the deployment commands, as the problems an operator endpoint answers with. */
class PromotionProblemMappersTest {

    private final PromotionProblemMappers mappers = new PromotionProblemMappers();

    @Test
    void anUnknownDeploymentIs404() {
        UUID id = UUID.randomUUID();

        Response response = mappers.deploymentNotFound(new DeploymentNotFoundException(id), null);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat((Problem) response.getEntity()).satisfies(problem -> {
            assertThat(problem.type()).isEqualTo("urn:trunkline:problem:deployment-not-found");
            assertThat(problem.detail()).contains(id.toString());
        });
    }

    @Test
    void aCommandOnAnEndedDeploymentIs409NamingItsState() {
        Response response = mappers.deploymentFinished(
                new DeploymentFinishedException(UUID.randomUUID(), DeploymentState.SUCCEEDED), null);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(((Problem) response.getEntity()).detail()).contains("SUCCEEDED");
    }
}
