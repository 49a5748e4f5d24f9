"""Training runs unchanged under `accelerate launch`: 2 CPU processes (gloo) on a tiny dataset.

accelerate 1.15's ``--cpu`` flag starts ONE process (several CPU processes go through mpirun),
so the test takes the torchrun path (``--multi_gpu --num_processes 2``) with CUDA hidden: the
Trainer then runs data-parallel on CPU with the gloo backend, exactly the code path of a
multi-GPU run (nccl instead of gloo).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotation.schema.schema import load_schema
from training_fixtures import make_dataset, synthetic_rows, tiny_encoder_dir

pytestmark = pytest.mark.slow


def test_accelerate_launch_with_two_cpu_processes_trains_one_model(tmp_path):
    schema = load_schema()
    data = make_dataset(schema, {"train": synthetic_rows(24, seed=1), "validation": synthetic_rows(4, seed=2, first_id=50)})
    data.save_to_disk(str(tmp_path / "data"))
    encoder = tiny_encoder_dir(tmp_path / "encoder", list(data["train"]["text"]))
    accelerate = Path(sys.executable).with_name("accelerate")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    cmd = [str(accelerate), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "annotation.cli", "train",
           "--data", str(tmp_path / "data"), "--out", str(tmp_path / "model"),
           f"model.name={encoder}", "training.epochs=2", "training.batch_size=4", "training.learning_rate=0.005",
           "training.progress=false", "data.max_length=64", "data.stride=16"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=400, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:-1500]
    meta = json.loads((tmp_path / "model" / "nisba.json").read_text())
    stats = meta["train_stats"]
    assert stats["world_size"] == 2
    # each process sees half the windows: 2 epochs of ceil(windows / (2 processes x 4)) steps
    assert stats["global_step"] == 2 * -(-stats["n_train_windows"] // 8)
    log = json.loads((tmp_path / "model" / "log_history.json").read_text())["log_history"]
    assert any("eval_f1" in h for h in log)
