using System;

// Reads every token of the input (spread over any lines) and prints the sum of the first two.
public class Sum
{
    public static void Main()
    {
        string[] tokens = Console.In.ReadToEnd().Split(
            (char[])null, StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine(long.Parse(tokens[0]) + long.Parse(tokens[1]));
    }
}
