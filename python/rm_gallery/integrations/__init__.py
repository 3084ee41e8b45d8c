"""rm_gallery.integrations: rmg's rewards as the reward functions of RL trainers.

- `rm_gallery.integrations.verl`: `compute_score` / `compute_score_batch` for verl's
  custom_reward_function (dispatch on data_source like verl's default scorer).
- `rm_gallery.integrations.openrlhf`: `reward_func(queries, prompts, labels)`;
  `openrlhf_reward.py` is the file to pass to OpenRLHF's `--remote_rm_url`.
- `rm_gallery.integrations.trl`: GRPOTrainer reward functions (`math_accuracy_reward`,
  `format_reward`, `code_execution_reward`, `make_reward_func(name, **params)`).

None of them imports the trainer: they take and return plain Python values (torch
tensors for OpenRLHF when torch is there). Scoring runs in C++ with the GIL released.
"""
