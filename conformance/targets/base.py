"""The ``Target``: one SageMaker-compatible thing the suite talks to, whatever its kind.

Every client a target hands out is a plain botocore client with
``parameter_validation=False`` (the suite sends invalid payloads on purpose),
short timeouts, the suite's own bounded retries, and event hooks that
(1) log each call for reproductions, (2) count it in the Recorder and
(3) classify what went wrong (see ``classify``) so machines see
``NotImplementedByTarget`` / ``TargetError`` / ``ClientError`` and nothing else.
"""

from __future__ import annotations

import itertools
import secrets
import string
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from conformance import __version__
from conformance.clock import Clock, ManualClock
from conformance.errors import ConformanceError, NotImplementedByTarget, TargetError, TargetUnreachable
from conformance.targets import classify
from conformance.targets.calllog import Call, RequestLog
from conformance.targets.spec import TargetSpec

NAME_PREFIX = "sc-"
RUN_TAG_KEY = "sagemaker-conformance:run-id"
DUMMY_CREDENTIALS = ("testing", "testing")
_RUN_ID_ALPHABET = string.ascii_lowercase + string.digits
# HTTP answers worth another attempt on a networked target (throttling, gateway hiccups).
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_RETRY_CODES = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})
_JSON_PROTOCOLS = frozenset({"json", "rest-json"})


def new_run_id() -> str:
    return "".join(secrets.choice(_RUN_ID_ALPHABET) for _ in range(8))


class WaitTimeout(Exception):
    """``wait_for`` gave up; ``last`` is the last value observed. Not a target error: the rules judge it."""

    def __init__(self, message: str, last: Any = None, waited_s: float = 0.0) -> None:
        super().__init__(message, last, waited_s)
        self.last = last
        self.waited_s = waited_s

    def __str__(self) -> str:
        return str(self.args[0])


class Target:
    kind = ""
    is_embedded = False
    supports_failure_injection = False
    # Seconds of the client's patience; networked kinds override.
    connect_timeout_s = 5.0
    read_timeout_s = 30.0
    # Attempts per call for throttling/connection hiccups (1 = no retry), and backoff base in real seconds.
    max_attempts = 1
    backoff_s = 0.2
    # Attempts of the eventual-consistency helper (immediately consistent targets need one).
    consistency_attempts = 1
    consistency_delay_s = 2.0

    def __init__(self, spec: TargetSpec, *, clock: Clock, run_id: Optional[str] = None, worker: str = "") -> None:
        self.spec = spec
        self.clock = clock
        self.region = spec.region
        self.run_id = run_id or new_run_id()
        self.name_prefix = f"{NAME_PREFIX}{self.run_id}-"
        self.worker = "".join(ch for ch in worker.lower() if ch.isalnum())[:6]
        self.call_log = RequestLog()
        self.recorder = None  # a conformance.recording.Recorder, set by the plugin
        self._clients: Dict[Tuple[str, bool], Any] = {}
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._current = threading.local()
        self.closed = False
        self._created = False  # set by the first Create*/Put* call: only then is there anything to clean up

    # -- identity ------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def description(self) -> str:
        return self.name

    @property
    def endpoint_url(self) -> Optional[str]:
        """Where the clients send requests (None: the AWS default endpoint)."""
        return None

    def reproduction_header(self) -> str:
        return f"Reproduction against {self.description}"

    def reproduction(self, since: int = 0, *, thread: Optional[int] = None) -> str:
        """The calls logged since ``since`` (a ``call_log.mark()``), of one ``thread`` if given, as a boto3 script."""
        return self.call_log.to_boto3(
            since, endpoint_url=self.reproduction_url(), region=self.region, header=self.reproduction_header(),
            thread=thread,
        )

    def reproduction_url(self) -> Optional[str]:
        return self.endpoint_url

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} run={self.run_id}>"

    # -- resources the suite creates -------------------------------------------------------------------
    def resource_name(self, kind: str = "r") -> str:
        """A fresh name carrying the run prefix: ``sc-<runid>-<worker><kind>-<n>`` (≤ 63 chars)."""
        kind = "".join(ch for ch in kind.lower() if ch.isalnum())[:16] or "r"
        with self._lock:
            number = next(self._counter)
        return f"{self.name_prefix}{self.worker}{kind}-{number}"[:63]

    def run_tags(self) -> List[Dict[str, str]]:
        """Tags to put on every created resource (one tag: it counts toward the 50-per-resource limit)."""
        return [{"Key": RUN_TAG_KEY, "Value": self.run_id}]

    # -- clients ---------------------------------------------------------------------------------------
    def client(self, service: str = "sagemaker"):
        """A botocore client whose failures are classified (NotImplementedByTarget / TargetError / ClientError)."""
        return self._client(service, classify_errors=True)

    def raw_client(self, service: str = "sagemaker"):
        """The same client without classification: botocore's own exceptions (for the raw fuzzer)."""
        return self._client(service, classify_errors=False)

    def _client(self, service: str, classify_errors: bool):
        if self.closed:
            raise TargetError(f"target {self.name} is closed")
        key = (service, classify_errors)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = self.new_client(service, classify_errors=classify_errors)
        return client

    def new_client(self, service: str = "sagemaker", *, classify_errors: bool = True, attempts: Optional[int] = None):
        session = self._botocore_session()
        access_key, secret_key, token = self._credentials(session)
        config = Config(
            parameter_validation=False,
            connect_timeout=self.connect_timeout_s,
            read_timeout=self.read_timeout_s,
            # botocore's own retries sleep on the wall clock; the hooks below retry instead, boundedly.
            retries={"mode": "standard", "total_max_attempts": 1},
            user_agent_extra=f"sagemaker-conformance/{__version__}",
            proxies=self._proxies(),
        )
        client = session.create_client(
            service,
            region_name=self.region,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=token,
            config=config,
        )
        _Hooks(self, client, classify_errors, attempts or self.max_attempts).install()
        self.install_transport(client)
        return client

    def _botocore_session(self) -> botocore.session.Session:
        session = botocore.session.Session()
        session.register_component("data_loader", _shared_loader())
        return session

    def _credentials(self, session) -> Tuple[str, str, Optional[str]]:
        """Dummy credentials unless a kind says otherwise: environment keys never leave for a non-AWS target."""
        return DUMMY_CREDENTIALS[0], DUMMY_CREDENTIALS[1], None

    def _proxies(self) -> Optional[dict]:
        return None

    def install_transport(self, client) -> None:
        """In-process kinds route the client's requests here (before-send)."""

    # -- time ------------------------------------------------------------------------------------------
    @property
    def driven_clock(self) -> bool:
        """Time passes only when the suite waits: waiting costs nothing, and one thread must drive it."""
        return isinstance(self.clock, ManualClock)

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` of the target's time pass (driven, scaled or real, per kind)."""
        if seconds > 0:
            self.call_log.wait(seconds)
            self.clock.sleep(seconds)

    def wait_for(
        self,
        describe: Callable[[], Any],
        until: Callable[[Any], bool],
        timeout_s: float,
        *,
        delay_s: Optional[float] = None,
        on_poll: Optional[Callable[[Any], None]] = None,
    ) -> Any:
        """Poll ``describe()`` every ``delay_s`` target seconds until ``until(value)``; return that value.

        ``delay_s`` defaults to botocore's EndpointInService waiter cadence. Time is
        counted in target seconds (the sum of the delays), so a run against a driven
        clock is deterministic. Raises ``WaitTimeout`` carrying the last value.
        """
        delay = self.default_poll_delay_s() if delay_s is None else float(delay_s)
        if delay <= 0:
            raise ValueError("delay_s must be positive")
        waited = 0.0
        while True:
            value = describe()
            if on_poll is not None:
                on_poll(value)
            if until(value):
                return value
            if waited >= timeout_s:
                raise WaitTimeout(f"condition not reached within {timeout_s:g} s on {self.name}", value, waited)
            self.sleep(delay)
            waited += delay

    @staticmethod
    def default_poll_delay_s() -> float:
        from conformance import model

        return float(model.waiter_config("EndpointInService").delay)

    # -- lifecycle -------------------------------------------------------------------------------------
    def check_reachable(self) -> None:
        """One call, no retry: raise TargetUnreachable / TargetError with a one-line message, else return."""
        client = self.new_client("sagemaker", classify_errors=True, attempts=1)
        try:
            client.list_endpoints(MaxResults=1)
        except NotImplementedByTarget:
            return  # it answered, in protocol
        except ClientError as err:
            self._judge_probe_error(err)
        except TargetUnreachable as err:
            raise TargetUnreachable(f"target {self.name} is unreachable: {_cause(err)}") from err
        except TargetError as err:
            raise TargetError(f"target {self.name} does not answer like SageMaker: {_cause(err)}") from err
        finally:
            client.close()

    def _judge_probe_error(self, err: ClientError) -> None:
        """A well-formed AWS error still proves the target speaks the protocol."""

    def cleanup(self) -> None:
        """Delete what this run created, on targets whose state outlives the run."""

    def created_anything(self) -> bool:
        return self._created

    def stop(self) -> None:
        """Stop what the kind started (a mock, a server)."""

    def close(self) -> None:
        """Clean up, stop and release clients. Idempotent; safe on Ctrl-C."""
        if self.closed:
            return
        try:
            self.cleanup()
        finally:
            self.closed = True
            with self._lock:
                clients, self._clients = list(self._clients.values()), {}
            for client in clients:
                client.close()
            self.stop()

    def __enter__(self) -> "Target":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _shared_loader():
    """One botocore data loader per process (the model's): each new session would parse the 2 MB
    SageMaker model again."""
    from conformance import model

    return model.data_loader()


def _cause(err: BaseException) -> str:
    """The underlying reason in one line (botocore's message when there is one)."""
    cause = err.__cause__ if err.__cause__ is not None else err
    text = " ".join(str(cause).split())
    return text if cause is not err else text.split(": ", 1)[-1]


class _Hooks:
    """The event handlers every target client carries."""

    def __init__(self, target: Target, client, classify_errors: bool, attempts: int) -> None:
        self.target = target
        self.client = client
        self.classify_errors = classify_errors
        self.attempts = max(1, attempts)
        model = client.meta.service_model
        self.service = model.service_name
        self.service_id = model.service_id.hyphenize()
        self.json_protocol = model.protocol in _JSON_PROTOCOLS

    def install(self) -> None:
        events, sid, uid = self.client.meta.events, self.service_id, f"sc-{id(self)}"
        events.register(f"provide-client-params.{sid}", self.start, unique_id=f"{uid}-start")
        events.register(f"before-parse.{sid}", self.answered, unique_id=f"{uid}-parse")
        events.register(f"needs-retry.{sid}", self.needs_retry, unique_id=f"{uid}-retry")
        events.register(f"after-call.{sid}", self.finished, unique_id=f"{uid}-done")
        events.register(f"after-call-error.{sid}", self.failed, unique_id=f"{uid}-fail")

    # The hooks of one call run on the caller's thread, in order; a thread-local links them.
    def start(self, params, model, **_kwargs):
        if model.name.startswith(("Create", "Put")):
            self.target._created = True
        self.target._current.call = self.target.call_log.start(self.service, model.name, params)

    def _call(self) -> Optional[Call]:
        return getattr(self.target._current, "call", None)

    def answered(self, response_dict, operation_model, **_kwargs):
        """Before botocore parses: note the status, and refuse what is not the protocol at all."""
        status = int(response_dict.get("status_code", 0))
        call = self._call()
        if call is not None:
            call.status_code = status
        if self.classify_errors and self.json_protocol:
            body = response_dict.get("body") or b""
            content_type = str(response_dict.get("headers", {}).get("content-type", ""))
            problem = classify.garbage_problem(body if isinstance(body, bytes) else b"", content_type)
            if problem:
                raise TargetError(f"{operation_model.name}: the target answered HTTP {status} with a body that is {problem}")

    def finished(self, http_response, parsed, model, **_kwargs):
        call = self._call()
        if call is not None:
            call.status_code = http_response.status_code
            call.error_code = str(parsed.get("Error", {}).get("Code", "")) if http_response.status_code >= 300 else ""
        self._count(model.name, http_response.status_code)
        self.target._current.call = None

    def failed(self, exception, **_kwargs):
        call = self._call()
        if call is not None:
            # Our classification, or no HTTP answer at all, is the outcome worth printing; another
            # handler's control-flow exception after a real answer (the raw fuzzer's capture) is not.
            if call.status_code is None or isinstance(exception, ConformanceError):
                call.error_code = call.error_code or type(exception).__name__
            self._count(call.operation, call.status_code or 0)
        self.target._current.call = None

    def _count(self, operation: str, status_code: int) -> None:
        recorder = self.target.recorder
        if recorder is not None:
            name = operation if self.service == "sagemaker" else f"{self.service}:{operation}"
            recorder.request(name, status_code)

    def needs_retry(self, response, attempts, caught_exception, operation, **_kwargs):
        """Bounded retries of transient trouble, then classification of what is left."""
        op = operation.name
        if caught_exception is not None:
            verdict = classify.classify_error(caught_exception, op)
            if verdict is caught_exception and not isinstance(caught_exception, BotoCoreError):
                # Raised while sending: an in-process target crashed, as a server would answer 500.
                verdict = TargetError(f"{op}: the target crashed ({type(caught_exception).__name__}: "
                                      f"{' '.join(str(caught_exception).split())[:200]})")
            if isinstance(verdict, TargetError) and attempts < self.attempts:
                return self.target.backoff_s * attempts
            if self.classify_errors and verdict is not caught_exception:
                raise verdict from caught_exception
            return None
        http_response, parsed = response
        # botocore's disabled retrier flags every error "reached max retries: 0"; the suite retries itself.
        parsed.get("ResponseMetadata", {}).pop("MaxAttemptsReached", None)
        status = http_response.status_code
        code = str(parsed.get("Error", {}).get("Code", "")) if status >= 300 else ""
        if (status in _RETRY_STATUSES or code in _RETRY_CODES) and attempts < self.attempts:
            return self.target.backoff_s * 2 ** (attempts - 1)
        if not self.classify_errors:
            return None
        if status >= 300:
            message = str(parsed.get("Error", {}).get("Message", ""))
            if classify.is_not_implemented(code, status, message):
                raise NotImplementedByTarget(op, message or code)
        return None
