// Writes rewardbench_hyparquet.parquet: records in RewardBench's published layout,
// written by a Parquet implementation other than DuckDB (hyparquet-writer, pure JS).
// Regenerate: npm install hyparquet-writer@0.17.0 && node make_rewardbench_hyparquet.mjs
import { parquetWriteFile } from 'hyparquet-writer';

parquetWriteFile({
  filename: 'rewardbench_hyparquet.parquet',
  rowGroupSize: 2,  // two row groups: the reader must follow both
  columnData: [
    { name: 'prompt', type: 'STRING',
      data: ['What is 2+2?', 'Translate "chat" into English.', '用一句话介绍长城。'] },
    { name: 'chosen', type: 'STRING',
      data: ['2+2 equals 4.', 'It means "cat".', '长城是中国古代修建的防御工程。'] },
    { name: 'rejected', type: 'STRING', data: ['5', 'It means "chat".', '长城很短。'] },
    { name: 'chosen_model', type: 'STRING', data: ['gpt-4', 'gpt-4', 'qwen'] },
    { name: 'rejected_model', type: 'STRING', data: ['llama', 'llama', 'llama'] },
    { name: 'subset', type: 'STRING', data: ['math-prm', 'alpacaeval-easy', 'alpacaeval-easy'] },
    { name: 'id', type: 'INT64', data: [BigInt(1), BigInt(2), BigInt(30000000000)] },
    { name: 'margin', type: 'DOUBLE', data: [0.5, -1.25, 3] },
    { name: 'meta', type: 'JSON', data: [{ tags: ['a', 'b'] }, { tags: [] }, null] },
  ],
});
