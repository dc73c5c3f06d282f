import BasaltCLI

BasaltCommand.main()
