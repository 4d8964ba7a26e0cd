using System;

public class Missing
{
    public static void Main()
    {
        Console.WriteLine(Adder.Add(1, 2)); // there is no class Adder
    }
}
