import BasaltCLI

MemoryTuning.apply()
BasaltCommand.main()
