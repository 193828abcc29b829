# zsync_mp.resilience: supervisors, actors, retry, circuit breaker, rate
# limiter and stream operators, built on zsync_mp's public API only.
# `from zsync_mp.resilience import Supervisor, child, retry, ...`;
# stream operators: `from zsync_mp.resilience import streams`.
from ._retry import retry, RetryTimeout, Prng, backoff_ms
from ._breaker import CircuitBreaker, CircuitOpen, CLOSED, OPEN, HALF_OPEN
from ._ratelimit import RateLimiter
from ._actor import Actor, ActorStopped, ActorCrashed
from ._supervisor import (
    Supervisor,
    ChildSpec,
    child,
    TooManyRestarts,
    PERMANENT,
    TRANSIENT,
    TEMPORARY,
    ONE_FOR_ONE,
    ONE_FOR_ALL,
    REST_FOR_ONE,
)
from . import streams
