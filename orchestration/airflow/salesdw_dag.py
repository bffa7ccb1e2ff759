"""The warehouse once a day in Airflow, in the stages of `salesdw run`.

    extract_<source> (one task per source, in parallel)  >>  models  >>  checks

Every task is `npx salesdw run` with flags, the same code path as a manual, cron or CI run: each
is a run of its own in raw._runs / mart.etl_run_log, with its failures, exit code and alerts.
`salesdw run` holds a lock per warehouse, so the parallel extract tasks take turns on it (each
says it is waiting) and never overlap in the warehouse; a retry re-runs only its own stage.

Copy this file to the DAG folder. SALESDW_HOME is a checkout with `npm ci` done and its
salesdw.yaml; WAREHOUSE_URL, the sources' settings and SALESDW_ALERT_WEBHOOK come from the
worker's environment or that checkout's .env.
"""

import json
import os
import shlex
import urllib.request
from datetime import datetime, timedelta

from airflow import DAG

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

SALESDW_HOME = os.environ.get("SALESDW_HOME", "/opt/salesdw")
# The sources to extract, each its own task; keep in step with salesdw.yaml.
SOURCES = ["karamad"]


def alert_failure(context):
    """Failures salesdw could not report itself (a task killed or timed out) go to the same webhook."""
    webhook = os.environ.get("SALESDW_ALERT_WEBHOOK")
    task = context["task_instance"]
    text = f"Airflow: {task.dag_id}.{task.task_id} failed after {task.try_number} tries; look further: `npx salesdw runs --last 5` and the task log"
    if webhook:
        request = urllib.request.Request(webhook, json.dumps({"text": text}).encode(), {"content-type": "application/json"})
        urllib.request.urlopen(request, timeout=15).close()


def salesdw_run(task_id, flags):
    return BashOperator(task_id=task_id, bash_command=f"cd {shlex.quote(SALESDW_HOME)} && npx salesdw run {flags}")


with DAG(
    dag_id="salesdw",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10), "on_failure_callback": alert_failure},
    tags=["salesdw"],
) as dag:
    extracts = [salesdw_run(f"extract_{source}", f"--only {source} --skip-models --skip-checks") for source in SOURCES]
    models = salesdw_run("models", "--skip-extract --skip-checks")
    checks = salesdw_run("checks", "--skip-extract --skip-models")
    extracts >> models >> checks
