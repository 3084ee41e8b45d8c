"""The file to give OpenRLHF's `--remote_rm_url`: it defines `reward_func`.

    RMG_REWARD=math_verify_reward python3 -m openrlhf.cli.train_ppo_ray ... \\
        --remote_rm_url "$(python3 -c 'import rm_gallery.integrations.openrlhf_reward as m; print(m.__file__)')" \\
        --label_key answer

RMG_REWARD names any registered reward (`rmg list`; default math_verify_reward),
RMG_REWARD_PARAMS its parameters as a JSON object (e.g. '{"strict": false}'),
RMG_WORKERS the threads for a batch. Copy this file to combine rewards your own way:
reward_func only has to return {"rewards", "scores", "extra_logs"}.
"""

from rm_gallery.integrations.openrlhf import reward_func

__all__ = ["reward_func"]
