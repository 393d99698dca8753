package dev.caravan.campaign;

import java.util.Collection;
import java.util.Set;

/**
 * Port: which of these customers are in a running journey (workflows, issue 4), for the campaign suppression
 * "exclude customers in a journey". Until the workflows feature provides a bean of this type nobody is in one.
 */
public interface JourneyParticipation {

    Set<String> inJourney(Collection<String> customerIds);
}
